//! Hashing what a rebuild may reuse: xxh3 (128 bits) behind std's `Hasher`, so anything
//! that derives `Hash` can be fed to it, and `Debug` text too.

/// A 128-bit hash of what is fed to it (xxh3).
#[derive(Default)]
pub struct Hasher(xxhash_rust::xxh3::Xxh3);

impl Hasher {
    /// Feed `value`'s `Debug` text: for the site-wide parts, which are small.
    pub fn debug(&mut self, value: &impl std::fmt::Debug) {
        let _ = std::fmt::Write::write_fmt(self, format_args!("{value:?}"));
    }

    pub fn digest(&self) -> u128 {
        self.0.digest128()
    }
}

impl std::hash::Hasher for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl std::fmt::Write for Hasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
