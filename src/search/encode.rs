//! Compact posting lists: which documents hold a word, as a short base64 string.
//!
//! A list is written as the smaller of two forms: a bitmap of every document (one bit
//! each; best for words most pages use), marked by a leading `!`, or the gaps between
//! document numbers as LEB128 varints (best for rare words). search.js decodes both.

/// A posting list built one document at a time, held as it is written: varint gaps,
/// a byte for each document of a common word rather than four.
#[derive(Debug, Default)]
pub struct Postings {
    gaps: Vec<u8>,
    last: u32,
}

impl Postings {
    /// Add document `id`, greater than every one added before.
    pub fn push(&mut self, id: u32) {
        let mut gap = id - self.last;
        self.last = id;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                self.gaps.push(byte);
                break;
            }
            self.gaps.push(byte | 0x80);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.gaps.is_empty()
    }

    /// The list in the index's form, out of `docs` documents: the smaller of a bitmap
    /// and the gaps.
    pub fn encode(&self, docs: u32) -> String {
        let bitmap_len = docs.div_ceil(8) as usize;
        if bitmap_len < self.gaps.len() {
            let mut bitmap = vec![0u8; bitmap_len];
            for id in self.ids() {
                bitmap[(id / 8) as usize] |= 1 << (id % 8);
            }
            format!("!{}", base64(&bitmap))
        } else {
            base64(&self.gaps)
        }
    }

    /// The document numbers, read back from the gaps.
    fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.gaps.iter();
        let mut id = 0u32;
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let byte = *bytes.next()?;
                gap |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            id += gap;
            Some(id)
        })
    }
}

/// Standard base64 with padding (what the browser's `atob` reads).
pub fn base64(bytes: &[u8]) -> String {
    use ::base64::Engine as _;
    ::base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(ids: &[u32]) -> Postings {
        let mut list = Postings::default();
        for &id in ids {
            list.push(id);
        }
        assert_eq!(list.ids().collect::<Vec<_>>(), ids, "read back");
        list
    }

    fn postings(ids: &[u32], docs: u32) -> String {
        list(ids).encode(docs)
    }

    fn varint_gaps(ids: &[u32]) -> Vec<u8> {
        list(ids).gaps
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    /// What search.js decodes, written out: the index's bytes never change with the
    /// encoder behind them.
    #[test]
    fn the_index_strings_stay_as_search_js_reads_them() {
        let every_byte: Vec<u8> = (0..=255).collect();
        assert_eq!(
            base64(&every_byte),
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w=="
        );
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
        assert_eq!(postings(&[3, 130, 1130], 10_000), "A3/oBw==");
        assert_eq!(
            postings(&(0..100).collect::<Vec<_>>(), 100),
            "!////////////////Dw=="
        );
        assert_eq!(postings(&[0, 1, 9], 10), "!AwI=");
    }

    #[test]
    fn rare_words_get_gaps() {
        // 3, then +127, then +1000 (two bytes: 0xe8 0x07).
        assert_eq!(varint_gaps(&[3, 130, 1130]), [3, 127, 0xe8, 0x07]);
        assert_eq!(
            postings(&[3, 130, 1130], 10_000),
            base64(&[3, 127, 0xe8, 0x07])
        );
        assert_eq!(varint_gaps(&[0, 1 << 30]).len(), 1 + 5);
    }

    #[test]
    fn common_words_get_a_bitmap() {
        let all: Vec<u32> = (0..100).collect();
        let p = postings(&all, 100);
        assert!(p.starts_with('!'), "{p}");
        assert_eq!(
            p,
            format!(
                "!{}",
                base64(
                    &[0xff; 12]
                        .iter()
                        .copied()
                        .chain([0x0f])
                        .collect::<Vec<u8>>()
                )
            )
        );
        assert_eq!(postings(&[0, 1, 9], 10), format!("!{}", base64(&[3, 2])));
    }
}
