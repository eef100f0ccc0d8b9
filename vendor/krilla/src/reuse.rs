//! Reuse from one document to the next (tongbao's patch): a process that writes nearly the
//! same document again and again (a watcher rendering on every save) keeps the previous
//! document's compressed content streams and font subsets and takes them instead of computing
//! them again. Off unless [`enable`]d: a process writing one document would only hold them
//! longer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::geom::Rect;
use crate::text::Font;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Keep what each document computes for the next one.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Results by a 128-bit hash of their input: of the document being written, and of the one
/// before (dropped when the next document starts).
struct Generations<V> {
    current: HashMap<u128, V>,
    previous: HashMap<u128, V>,
}

pub(crate) struct Store<V>(Mutex<Option<Generations<V>>>);

impl<V: Clone> Store<V> {
    const fn new() -> Self {
        Store(Mutex::new(None))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Generations<V>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The result for the input hashed to `key`: the stored one, else `f()` (stored unless
    /// it failed).
    pub(crate) fn get_or<E>(
        &self,
        key: impl FnOnce() -> u128,
        f: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if !ENABLED.load(Ordering::Relaxed) {
            return f();
        }
        let key = key();
        {
            let mut guard = self.lock();
            let g = guard.get_or_insert_with(|| Generations {
                current: HashMap::new(),
                previous: HashMap::new(),
            });
            if let Some(v) = g.current.get(&key) {
                return Ok(v.clone());
            }
            if let Some(v) = g.previous.remove(&key) {
                g.current.insert(key, v.clone());
                return Ok(v);
            }
        }
        let v = f()?;
        if let Some(g) = self.lock().as_mut() {
            g.current.insert(key, v.clone());
        }
        Ok(v)
    }

    fn next_document(&self) {
        if let Some(g) = self.lock().as_mut() {
            g.previous = std::mem::take(&mut g.current);
        }
    }
}

/// Deflated streams by their uncompressed content.
pub(crate) static STREAMS: Store<Arc<Vec<u8>>> = Store::new();

/// A font's subset, its glyphs' bounding box and its compressed program, by font and glyphs.
pub(crate) static SUBSETS: Store<Arc<(Font, Rect, Vec<u8>)>> = Store::new();

/// A document starts: what the one before it did not use is dropped.
pub(crate) fn next_document() {
    STREAMS.next_document();
    SUBSETS.next_document();
}
