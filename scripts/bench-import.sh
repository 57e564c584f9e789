#!/bin/sh
# Time `lapa import wordpress` beside the npm package wordpress-export-to-markdown on
# generated WordPress exports of 1,000 and 10,000 posts; print time and peak memory.
#
#   sh scripts/bench-import.sh            # uses target/release/lapa
#   LAPA=target/debug/lapa sh scripts/bench-import.sh
#
# Needs python3 (to write the exports), GNU time (/usr/bin/time) and npm; the npm
# package is installed, at a pinned version, into a temporary folder.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
lapa=${LAPA:-$here/target/release/lapa}
w2m_version=2.2.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm install --silent --no-audit --no-fund "wordpress-export-to-markdown@$w2m_version" >/dev/null)
w2m="$work/node_modules/.bin/wordpress-export-to-markdown"

# An export like a school's: classic-editor posts with paragraphs, a list, a caption
# and, on every third, a pasted Erasmus+ disclaimer with the project's code.
generate() {
    python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
head = '''<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Skola</title><link>https://skola.example.lv</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://skola.example.lv</wp:base_site_url>
<wp:base_blog_url>https://skola.example.lv</wp:base_blog_url>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[inara]]></wp:author_login><wp:author_display_name><![CDATA[Ināra Jasvina]]></wp:author_display_name></wp:author>
'''
disclaimer = ("Projekts Nr. 2023-1-LV01-KA121-SCH-000138745 „Kompetents skolotājs”\n\n"
              "Finansē Eiropas Savienība. Paustie viedokļi un uzskati ir tikai autora(-u) viedokļi un uzskati, "
              "un tie ne vienmēr atspoguļo Eiropas Savienības vai Eiropas Izglītības un kultūras izpildaģentūras "
              "(EACEA) viedokli. Ne Eiropas Savienība, ne EACEA nevar būt atbildīgas par tiem.")
with open(path, "w", encoding="utf-8") as f:
    f.write(head)
    for i in range(1, n + 1):
        y, m, d = 2010 + i % 15, 1 + i % 12, 1 + i % 28
        body = (f"Skolotāji no {i}. līdz {i + 5}. datumam mācījās kursā „Coaching and Mentoring” Budapeštā.\n"
                "Tas bija intensīvs un noderīgs.\n\n"
                "<ul>\n<li>koučinga sarunas</li>\n<li>atgriezeniskā saite</li>\n</ul>\n\n"
                f"[caption id=\"attachment_{i}\" width=\"300\"]<img src=\"https://skola.example.lv/wp-content/uploads/{y}/{m:02}/foto{i}-300x200.jpg\" alt=\"Dalībnieki\" /> Kursa diena[/caption]\n\n"
                + ("Mēs dalījāmies pieredzē ar kolēģiem, un skolēni novērtēja jaunās metodes. " * 8) + "\n\n"
                + (disclaimer if i % 3 == 0 else ""))
        f.write(f'''<item><title><![CDATA[Mobilitāte Nr. {i}: mentorings Budapeštā]]></title>
<link>https://skola.example.lv/{y}/{m:02}/{d:02}/mobilitate-{i}/</link>
<pubDate>Mon, 01 Jan {y} 10:00:00 +0000</pubDate>
<dc:creator><![CDATA[inara]]></dc:creator>
<guid isPermaLink="false">https://skola.example.lv/?p={i}</guid>
<description></description>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{i}</wp:post_id>
<wp:post_date><![CDATA[{y}-{m:02}-{d:02} 10:00:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{y}-{m:02}-{d:02} 08:00:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status>
<wp:post_name><![CDATA[mobilitate-{i}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[]]></wp:post_password>
<wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="erasmus"><![CDATA[Erasmus+]]></category>
<category domain="post_tag" nicename="mentorings"><![CDATA[mentorings]]></category>
</item>
''')
    f.write("</channel>\n</rss>\n")
PY
}

# `seconds peak-KB` of one command, from GNU time.
measure() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1
    cat "$work/time"
}

printf '%-8s %-10s %12s %14s\n' posts tool seconds "peak memory"
for n in 1000 10000; do
    export_file="$work/export-$n.xml"
    generate "$n" "$export_file"
    size=$(du -k "$export_file" | cut -f1)

    site="$work/site-$n"
    "$lapa" init "$site" >/dev/null
    set -- $(measure "$lapa" import wordpress "$export_file" --root "$site")
    lapa_s=$1 lapa_kb=$2

    out="$work/w2m-$n"
    set -- $(measure "$w2m" --wizard=false --input="$export_file" --output="$out" \
        --save-attached-images=false --save-scraped-images=false)
    w2m_s=$1 w2m_kb=$2

    printf '%-8s %-10s %12s %11s MB   (export %s KB)\n' "$n" lapa "$lapa_s" "$((lapa_kb / 1024))" "$size"
    printf '%-8s %-10s %12s %11s MB\n' "$n" w2m "$w2m_s" "$((w2m_kb / 1024))"
    python3 -c "print(f'{\"\":8} ratio      {float($lapa_s)/float($w2m_s):12.3f} of the time, {$lapa_kb/$w2m_kb:.3f} of the memory')"
done
