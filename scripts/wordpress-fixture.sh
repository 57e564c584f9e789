#!/bin/sh
# Regenerate tests/fixtures/wordpress/: a real WordPress export and its uploads.
#
# Uses Debian's packages: wordpress, mariadb-server, php-cli, php-mysql (with php-gd,
# which WordPress uses to make its resized copies) and imagemagick. Run as root on a
# throw-away machine or container: it starts MariaDB, creates a database, and writes
# /etc/wordpress/config-skola.example.lv.php.
#
#   apt-get install wordpress mariadb-server php-cli php-mysql php-gd imagemagick
#   sh scripts/wordpress-fixture.sh
#
# The school site is made through WordPress's own API (wp_insert_post, wp_insert_term,
# wp_insert_attachment, wp_generate_attachment_metadata, set_post_thumbnail …) and
# exported with export_wp(), exactly what Tools → Export downloads. CI uses the
# committed result and never installs WordPress.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/tests/fixtures/wordpress"
work=$(mktemp -d)
host=skola.example.lv
convert=${CONVERT:-convert}

# MariaDB: start it when it is not running.
if ! mysqladmin ping >/dev/null 2>&1; then
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    (mysqld_safe >/dev/null 2>&1 &)
    i=0
    until mysqladmin ping >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -lt 60 ] || { echo "MariaDB did not start" >&2; exit 1; }
        sleep 1
    done
fi
mysql -e "DROP DATABASE IF EXISTS lapa_wp; CREATE DATABASE lapa_wp CHARACTER SET utf8mb4;
  CREATE USER IF NOT EXISTS 'lapa_wp'@'localhost' IDENTIFIED BY 'lapa_wp';
  GRANT ALL ON lapa_wp.* TO 'lapa_wp'@'localhost'; FLUSH PRIVILEGES;"

mkdir -p "$work/wp-content/uploads"
cat > /etc/wordpress/config-$host.php <<EOF
<?php
define('DB_NAME', 'lapa_wp');
define('DB_USER', 'lapa_wp');
define('DB_PASSWORD', 'lapa_wp');
define('DB_HOST', 'localhost');
define('WP_CONTENT_DIR', '$work/wp-content');
define('WP_CONTENT_URL', 'https://$host/wp-content');
define('WP_HOME', 'https://$host');
define('WP_SITEURL', 'https://$host');
EOF

# Small real photos (WordPress makes its resized copies from them).
mkdir -p "$work/src"
n=0
for spec in "skyblue-navy:Budapešta" "orange-brown:Darbs grupās" "lightgreen-darkgreen:Skolotāji" "pink-purple:Pilsēta" "khaki-olive:Prezentācija"; do
    n=$((n + 1))
    colours=${spec%%:*}
    "$convert" -size 640x480 "gradient:$colours" -quality 40 "$work/src/foto$n.jpg"
done
"$convert" -size 300x200 xc:'#003399' -fill '#FFCC00' -draw 'circle 150,100 150,110' -quality 60 "$work/src/erasmus-logo.jpg"

cat > "$work/site.php" <<'PHP'
<?php
$_SERVER['HTTP_HOST'] = getenv('WP_HOST');
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
$src = getenv('WP_SRC');

wp_install('Daugavpils Testa skola', 'admin', 'admin@skola.example.lv', true, '', 'parole-123', 'lv');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
update_option('default_category', 1);
wp_update_term(1, 'category', array('name' => 'Nekategorizēts', 'slug' => 'nekategorizets'));
$inara = wp_insert_user(array('user_login' => 'inara', 'user_pass' => 'x-parole-1', 'display_name' => 'Ināra Jasvina', 'first_name' => 'Ināra', 'last_name' => 'Jasvina', 'role' => 'author'));
$janis = wp_insert_user(array('user_login' => 'janis', 'user_pass' => 'x-parole-2', 'display_name' => 'Jānis Bērziņš', 'role' => 'editor'));
$erasmus = wp_insert_term('Erasmus+', 'category', array('slug' => 'erasmus'));
$esf = wp_insert_term('ESF+ projekti', 'category', array('slug' => 'esf'));

function photo($file, $post, $alt, $caption = '') {
    $src = getenv('WP_SRC');
    $upload = wp_upload_bits($file, null, file_get_contents("$src/$file"), '2024/03');
    $id = wp_insert_attachment(array(
        'post_mime_type' => 'image/jpeg',
        'post_title' => preg_replace('/\.[^.]+$/', '', $file),
        'post_excerpt' => $caption,
        'post_status' => 'inherit',
    ), $upload['file'], $post);
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $upload['file']));
    update_post_meta($id, '_wp_attachment_image_alt', $alt);
    return $id;
}
function url($id, $size = 'full') {
    $img = wp_get_attachment_image_src($id, $size);
    return $img[0];
}
function post($fields) {
    $id = wp_insert_post(wp_slash($fields), true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    return $id;
}

// 1. Classic editor, a KA121 mobility with the disclaimer pasted by hand (the
//    2014–2020 text on a 2021–2027 project, as real pages have it), a caption and a
//    featured image.
$p1 = post(array(
    'post_title' => 'Mentorings – rīks skolas kopienas stiprināšanai',
    'post_name' => 'mentorings-riks',
    'post_author' => $inara,
    'post_date' => '2024-03-28 10:15:00',
    'post_status' => 'publish',
    'post_category' => array($erasmus['term_id']),
    'tags_input' => array('mentorings', 'koučings'),
    'post_excerpt' => 'Ko skolotāja mācījās kursā Budapeštā.',
    'post_content' => "No 18. līdz 23. martam mācījos kursā „Coaching and Mentoring” Budapeštā.\nTas bija intensīvs.\n\nKursā apguvām:\n<ul>\n<li>koučinga sarunas</li>\n<li>atgriezenisko saiti</li>\n</ul>\n\n__CAPTION__\n\nProjekts Nr. 2023-1-LV01-KA121-SCH-000138745 „Kompetents skolotājs – skolas attīstības pamats III”\n\n<img class=\"alignnone\" src=\"__LOGO__\" alt=\"\" width=\"300\" height=\"200\" />\n\nPaziņojums: Šis projekts tika finansēts ar Eiropas Komisijas atbalstu. Šī publikācija atspoguļo vienīgi autora uzskatus, un Komisijai nevar uzlikt atbildību par tajā ietvertās informācijas jebkuru iespējamo izlietojumu.",
));
$f1 = photo('foto1.jpg', $p1, 'Kursa dalībnieki Budapeštā');
$logo = photo('erasmus-logo.jpg', $p1, '');
set_post_thumbnail($p1, $f1);
$caption = '[caption id="attachment_' . $f1 . '" align="alignnone" width="300"]<img class="size-medium wp-image-' . $f1 . '" src="' . url($f1, 'medium') . '" alt="Kursa dalībnieki Budapeštā" width="300" height="225" /> Pirmā kursa diena[/caption]';
wp_update_post(wp_slash(array('ID' => $p1, 'post_content' => str_replace(array('__CAPTION__', '__LOGO__'), array($caption, url($logo)), get_post($p1)->post_content))));

// 2. Block editor, a gallery and a video embed, with the 2021–2027 disclaimer pasted in English.
$p2 = post(array(
    'post_title' => 'Darba ēnošana Somijā: "skola bez zvaniem"',
    'post_name' => 'darba-enosana-somija',
    'post_author' => $janis,
    'post_date' => '2024-05-10 09:00:00',
    'post_status' => 'publish',
    'post_category' => array($erasmus['term_id']),
    'post_content' => '',
));
$g = array(photo('foto2.jpg', $p2, 'Darbs grupās'), photo('foto3.jpg', $p2, 'Skolotāji pie tāfeles', 'Otrā diena'));
$figures = '';
foreach ($g as $id) {
    $figures .= "<!-- wp:image {\"id\":$id,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"" . url($id, 'medium_large') . "\" alt=\"" . esc_attr(get_post_meta($id, '_wp_attachment_image_alt', true)) . "\" class=\"wp-image-$id\"/>" . (get_post($id)->post_excerpt ? '<figcaption class="wp-element-caption">' . get_post($id)->post_excerpt . '</figcaption>' : '') . "</figure>\n<!-- /wp:image -->\n";
}
wp_update_post(wp_slash(array('ID' => $p2, 'post_content' =>
    "<!-- wp:paragraph -->\n<p>Nedēļu vērojām <strong>Helsinku</strong> skolas darbu.</p>\n<!-- /wp:paragraph -->\n\n" .
    "<!-- wp:heading -->\n<h2>Ko redzējām</h2>\n<!-- /wp:heading -->\n\n" .
    "<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery has-nested-images columns-default is-cropped\">$figures</figure>\n<!-- /wp:gallery -->\n\n" .
    "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true} -->\n<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div></figure>\n<!-- /wp:embed -->\n\n" .
    "<!-- wp:paragraph -->\n<p>Project No. 2022-1-LV01-KA121-SCH-000056789</p>\n<!-- /wp:paragraph -->\n\n" .
    "<!-- wp:paragraph -->\n<p>Funded by the European Union. Views and opinions expressed are however those of the author(s) only and do not necessarily reflect those of the European Union or the European Education and Culture Executive Agency (EACEA). Neither the European Union nor EACEA can be held responsible for them.</p>\n<!-- /wp:paragraph -->",
)));
set_post_thumbnail($p2, $g[0]);

// 3. ESF+, classic editor, a [gallery] shortcode and an unknown shortcode.
$p3 = post(array(
    'post_title' => 'Pedagogu atbalsta sistēma: pirmais seminārs',
    'post_author' => $inara,
    'post_date' => '2024-09-20 14:30:00',
    'post_status' => 'publish',
    'post_category' => array($esf['term_id']),
    'post_content' => '',
));
$g3 = array(photo('foto4.jpg', $p3, 'Semināra dalībnieki'), photo('foto5.jpg', $p3, 'Prezentācija zālē'));
wp_update_post(wp_slash(array('ID' => $p3, 'post_content' =>
    "Seminārā runājām par mentoru darbu skolā.\n\n[gallery ids=\"" . implode(',', $g3) . "\"]\n\nhttps://vimeo.com/76979871\n\n[contact-form-7 id=\"12\" title=\"Pieteikums\"]\n\nLīdzfinansē Eiropas Savienība\n\nProjekts Nr. 4.2.2.3/1/24/I/001 „Pedagogu profesionālā atbalsta sistēmas izveide”",
)));
// WordPress before 4.x stored Latvian letters in slugs percent-encoded; imports from
// old sites have them.
$wpdb->update($wpdb->posts, array('post_name' => 'pedagogu-atbalsta-sist%c4%93ma'), array('ID' => $p3));

// 4. A draft, a pending post, a private post, a password-protected post.
post(array('post_title' => 'Melnraksts: plāni rudenim', 'post_status' => 'draft', 'post_author' => $inara, 'post_date' => '2024-10-01 08:00:00', 'post_content' => 'Vēl nav gatavs.'));
post(array('post_title' => 'Privāts: skolotāju sapulces piezīmes', 'post_status' => 'private', 'post_author' => $janis, 'post_date' => '2024-10-02 08:00:00', 'post_content' => 'Tikai skolotājiem.'));
post(array('post_title' => 'Ar paroli: vecāku informācija', 'post_status' => 'publish', 'post_password' => 'slepens', 'post_author' => $janis, 'post_date' => '2024-10-03 08:00:00', 'post_content' => 'Paroles lapa.'));

// 5. A page with a child page, and a plain page.
$about = post(array('post_type' => 'page', 'post_title' => 'Par skolu', 'post_name' => 'par-skolu', 'post_status' => 'publish', 'post_author' => 1, 'post_date' => '2023-01-10 12:00:00', 'post_content' => "Mūsu skola Daugavpilī.\n\nDibināta 1920. gadā."));
post(array('post_type' => 'page', 'post_title' => 'Komanda', 'post_name' => 'komanda', 'post_parent' => $about, 'post_status' => 'publish', 'post_author' => 1, 'post_date' => '2023-01-11 12:00:00', 'post_content' => "<h2>Vadība</h2>\nDirektore un vietnieki."));
post(array('post_type' => 'page', 'post_title' => 'Kontakti', 'post_name' => 'kontakti', 'post_status' => 'publish', 'post_author' => 1, 'post_date' => '2023-01-12 12:00:00', 'post_content' => "Tālrunis: 65400000"));

ob_start();
export_wp(array('content' => 'all'));
file_put_contents(getenv('WP_OUT'), ob_get_clean());
PHP

# wp_install() mails the new admin; there is no mail server, and that is fine.
WP_HOST=$host WP_SRC="$work/src" WP_OUT="$work/export.xml" php "$work/site.php" 2>&1 | grep -v sendmail || true
[ -s "$work/export.xml" ] || { echo "WordPress wrote no export" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
cp "$work/export.xml" "$out/skola.WordPress.xml"
cp -r "$work/wp-content/uploads" "$out/uploads"
# A file the export names but the old server lost: the import must warn, not stop.
rm -f "$out"/uploads/2024/03/foto5.jpg "$out"/uploads/2024/03/foto5-*.jpg
# Resized copies left behind when the uploads were copied: the original stands in.
rm -f "$out"/uploads/2024/03/foto1-300x225.jpg
mysql -e "DROP DATABASE lapa_wp;"
rm -rf "$work"
echo "Wrote $out"
