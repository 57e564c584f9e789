//! Hashing what a rebuild may reuse: xxh3 (128 bits) behind std's `Hasher`, so anything
//! that implements `Hash` can be fed to it. Keys are made from `Hash` implementations
//! that list every field (derived, or by name with no `..`), never from `Debug` text.

/// A 128-bit hash of what is fed to it (xxh3).
#[derive(Default)]
pub struct Hasher(xxhash_rust::xxh3::Xxh3);

impl Hasher {
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
