//! Maps keyed by a character, hashed by one multiplication (the glyph cache and the word
//! segmenter ask one for every character they see; std's SipHash costs more than the lookup).
//! The keys are text, not an attacker's choice of collisions worth defending against: a
//! document's characters are bounded by its size.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` from `char`, with [`CharHasher`].
pub type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHasher>>;

/// The Fx hash (rustc's): a rotate, an xor and a multiply per word.
#[derive(Debug, Default, Clone, Copy)]
pub struct CharHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl CharHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for CharHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_character_apart() {
        let text = "关于第二季度全区政府网站检查情况的通报0123abc，。（）";
        let mut m: CharMap<usize> = CharMap::default();
        for (i, ch) in text.chars().enumerate() {
            m.insert(ch, i);
        }
        assert_eq!(m.len(), text.chars().count());
        for (i, ch) in text.chars().enumerate() {
            assert_eq!(m.get(&ch), Some(&i));
        }
        assert_eq!(m.get(&'龘'), None);
    }
}
