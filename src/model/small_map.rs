//! A map of a few entries by name, as an item's deductions (`d: {周扫描: 4, 政策解读: 2}`):
//! a sorted vector, which iterates, looks up and serialises like a `BTreeMap<String, V>`. A
//! `BTreeMap` allocates a node for eleven entries for the first one: about 1.5 KB an item for
//! the two or three an item has, most of the memory of a large inspection's items.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// Entries sorted by name, each name once. The names are `String`s as read; the results name
/// their deductions with shared texts (`score::Shared`).
#[derive(Debug, Clone, PartialEq)]
pub struct SmallMap<V, K = String>(Vec<(K, V)>);

impl<V, K> Default for SmallMap<V, K> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<V, K: Borrow<str>> SmallMap<V, K> {
    pub fn get(&self, name: &str) -> Option<&V> {
        self.0
            .binary_search_by(|(k, _)| k.borrow().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }
}

/// As `BTreeMap::from_iter`: sorted, and a name given twice keeps its last value.
impl<V, K: Ord> FromIterator<(K, V)> for SmallMap<V, K> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut v: Vec<(K, V)> = iter.into_iter().collect();
        // Stable: of equal names the last one given stays last, and is the one kept.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(K, V)> = Vec::with_capacity(v.len());
        for (k, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = val,
                _ => out.push((k, val)),
            }
        }
        out.shrink_to_fit();
        SmallMap(out)
    }
}

impl<'a, V, K> IntoIterator for &'a SmallMap<V, K> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V: Serialize, K: Serialize + Borrow<str>> Serialize for SmallMap<V, K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

struct MapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
    type Value = SmallMap<V>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry::<String, V>()? {
            entries.push(entry);
        }
        Ok(entries.into_iter().collect())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SmallMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_last_value_wins_like_a_btreemap() {
        let m: SmallMap<u32> = [("政策解读", 2), ("周扫描", 4), ("政策解读", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let b: std::collections::BTreeMap<String, u32> =
            [("政策解读", 2), ("周扫描", 4), ("政策解读", 3)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        assert!(m.iter().eq(b.iter()));
        assert_eq!(m.get("政策解读"), Some(&3));
        assert_eq!(m.get("加分"), None);
        assert_eq!(m.len(), 2);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}
