//! [`Shared`]: a text of the results that many items repeat (a unit, a platform, a deduction
//! as printed, 合格) or that several fields and lists hold (an item's label, its unit as
//! `short`, the names of a band's members). One copy is kept and counted, not one an item
//! and field: at 100,000 items the copies were most of `check`'s memory (issue 12).

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock};

use serde::{Serialize, Serializer};

/// An immutable text, cloned by counting; prints, compares and serialises as its `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<str>);

/// The empty text, shared too: most items leave most fields empty.
static EMPTY: LazyLock<Shared> = LazyLock::new(|| Shared(Arc::from("")));

impl Default for Shared {
    fn default() -> Self {
        EMPTY.clone()
    }
}

impl Shared {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Self {
        Shared(s.into())
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Self {
        Shared(s.into())
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl From<Shared> for String {
    fn from(s: Shared) -> Self {
        s.0.to_string()
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The texts handed out so far: a text asked for twice is the same [`Shared`].
#[derive(Default)]
pub struct Pool(HashSet<Shared>);

impl Pool {
    pub fn get(&mut self, text: &str) -> Shared {
        if let Some(s) = self.0.get(text) {
            return s.clone();
        }
        let s = Shared::from(text);
        self.0.insert(s.clone());
        s
    }

    /// An optional field's text, empty when not given.
    pub fn given(&mut self, text: Option<&str>) -> Shared {
        text.map(|t| self.get(t)).unwrap_or_default()
    }
}
