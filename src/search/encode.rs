//! Compact posting lists: which documents hold a word, as a short base64 string.
//!
//! A list is written as the smaller of two forms: a bitmap of every document (one bit
//! each; best for words most pages use), marked by a leading `!`, or the gaps between
//! document numbers as LEB128 varints (best for rare words). search.js decodes both.

/// The posting list of the ascending document numbers `ids`, out of `docs` documents.
pub fn postings(ids: &[u32], docs: u32) -> String {
    let gaps = varint_gaps(ids);
    let bitmap_len = docs.div_ceil(8) as usize;
    if bitmap_len < gaps.len() {
        let mut bitmap = vec![0u8; bitmap_len];
        for &id in ids {
            bitmap[(id / 8) as usize] |= 1 << (id % 8);
        }
        format!("!{}", base64(&bitmap))
    } else {
        base64(&gaps)
    }
}

/// The first number, then each gap to the next, as LEB128 varints.
fn varint_gaps(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut prev = 0;
    for &id in ids {
        let mut gap = id - prev;
        prev = id;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Standard base64 with padding (what the browser's `atob` reads).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn rare_words_get_gaps() {
        // 3, then +127, then +1000 (two bytes: 0xe8 0x07).
        assert_eq!(varint_gaps(&[3, 130, 1130]), [3, 127, 0xe8, 0x07]);
        assert_eq!(
            postings(&[3, 130, 1130], 10_000),
            base64(&[3, 127, 0xe8, 0x07])
        );
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
