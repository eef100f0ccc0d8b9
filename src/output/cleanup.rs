//! Temporaries that outlive their run: removed by the signal handler when the run is
//! interrupted, recognised by their name and removed by the next run when it was killed.
//!
//! A temporary is named `.<output name>.<pid>.<random>.tongbao-tmp` in the output's folder: the
//! leading dot hides it, the pid tells whether the run that made it is still alive.
//!
//! The handler may only call async-signal-safe functions, so the paths it removes are kept as
//! C strings in a fixed table of atomic pointers, never behind a lock. Temporaries are made on
//! several threads at once (a run's files are written side by side): the handler waits for
//! those being made (each with the signals blocked on its thread, so the handler never waits
//! for its own thread) and stops new ones, so none is made after it has swept the table. This
//! is the one place tongbao uses `unsafe`: the handler, `unlink`/`raise` from it and the
//! signal masks.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::Once;
use std::time::Duration;

/// The end of every temporary's name.
pub const TEMP_SUFFIX: &str = ".tongbao-tmp";

/// A temporary older than this is stale even if a process with its pid runs (pids are reused).
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The start of a temporary's name for the output `name`; the random part follows.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.{}.", std::process::id())
}

/// The pid in a temporary's name, if `name` is one.
fn temp_pid(name: &str) -> Option<i32> {
    let stem = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let mut parts = stem.rsplitn(3, '.');
    let _random = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    parts.next().filter(|output| !output.is_empty())?;
    Some(pid)
}

fn alive(pid: i32) -> bool {
    // SAFETY: kill with signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Remove the temporaries in `dir` left by runs that were killed (their process is gone) or
/// that are older than a day. Returns how many were removed.
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let own = std::process::id() as i32;
    let mut removed = 0;
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let Some(pid) = temp_pid(&name.to_string_lossy()) else {
            continue;
        };
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_dir() || (pid == own && !old) || (alive(pid) && !old) {
            continue;
        }
        if std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A temporary of this run for `target`, in its folder: removed when dropped (every error
/// path) and by the signal handler; [`Temp::persist`] renames it over the target.
pub struct Temp {
    // Dropped in this order: the file is removed before its slot is freed, so a signal in
    // between unlinks a name that no longer exists, never leaves the file.
    file: tempfile::NamedTempFile,
    _slot: Slot,
}

impl Temp {
    pub fn create(target: &Path) -> std::io::Result<Temp> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _making = Making::enter()?;
        let mut slot = None;
        let file = tempfile::Builder::new()
            .prefix(&temp_prefix(&name))
            .suffix(TEMP_SUFFIX)
            .make_in(dir, |path| {
                // Registered before the file exists: a signal between the two unlinks
                // nothing, where the other order could leave the file behind.
                slot = Some(Slot::register(path));
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .mode(0o666)
                    .open(path)
            })?;
        Ok(Temp {
            file,
            _slot: slot.unwrap_or(Slot(None)),
        })
    }

    pub fn file(&mut self) -> &mut std::fs::File {
        self.file.as_file_mut()
    }

    /// Rename over `target` (replacing a link there, never writing through it).
    pub fn persist(self, target: &Path) -> std::io::Result<()> {
        let Temp { file, _slot } = self;
        file.persist(target).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Temporaries being made (registered, the file perhaps not yet created) on some thread.
static MAKING: AtomicUsize = AtomicUsize::new(0);
/// The handler has started: no temporary is made any more.
static DYING: AtomicBool = AtomicBool::new(false);

/// The handled signals, blocked on this thread while a temporary is made.
fn handled() -> libc::sigset_t {
    // SAFETY: sigemptyset and sigaddset fill the set they are given.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in HANDLED {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// A temporary being made: counted in [`MAKING`], the handled signals blocked on this thread.
struct Making(libc::sigset_t);

impl Making {
    fn enter() -> std::io::Result<Making> {
        // SAFETY: an all-zero sigset_t is a valid value; pthread_sigmask overwrites it.
        let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: sets this thread's mask from a filled set, keeping the old one.
        unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &handled(), &mut old) };
        MAKING.fetch_add(1, Ordering::SeqCst);
        let making = Making(old);
        if DYING.load(Ordering::SeqCst) {
            return Err(std::io::Error::from(std::io::ErrorKind::Interrupted));
        }
        Ok(making)
    }
}

impl Drop for Making {
    fn drop(&mut self) {
        // Uncounted first: a signal pending on this thread is handled when it is unblocked,
        // and the handler must not wait for this thread.
        MAKING.fetch_sub(1, Ordering::SeqCst);
        // SAFETY: restores the mask `enter` saved.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &self.0, ptr::null_mut()) };
    }
}

/// Temporaries the signal handler removes. More at once than slots are still removed on every
/// error path and by the next run, only not by the handler.
static SLOTS: [AtomicPtr<libc::c_char>; 64] = [const { AtomicPtr::new(ptr::null_mut()) }; 64];

/// A temporary's place in the handler's table, freed when dropped (the file is renamed or
/// removed by then).
struct Slot(Option<usize>);

impl Slot {
    fn register(path: &Path) -> Slot {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return Slot(None);
        };
        // Never freed: a handler running on another thread may hold the pointer. A few bytes
        // per output file, once.
        let p = c.into_raw();
        for (i, s) in SLOTS.iter().enumerate() {
            if s.compare_exchange(ptr::null_mut(), p, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Slot(Some(i));
            }
        }
        Slot(None)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            SLOTS[i].store(ptr::null_mut(), Ordering::SeqCst);
        }
    }
}

const HANDLED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(sig: libc::c_int) {
    DYING.store(true, Ordering::SeqCst);
    // The threads making a temporary have the signals blocked, so this is not one of them:
    // wait until each has registered its file (or given up).
    while MAKING.load(Ordering::SeqCst) > 0 {
        std::hint::spin_loop();
    }
    for s in &SLOTS {
        let p = s.swap(ptr::null_mut(), Ordering::SeqCst);
        if !p.is_null() {
            // SAFETY: `p` is a NUL-terminated path leaked by `Slot::register`, never freed;
            // unlink is async-signal-safe.
            unsafe { libc::unlink(p) };
        }
    }
    // SAFETY: signal and raise are async-signal-safe; the default action ends the process
    // with the status a shell expects of this signal.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Install the handlers, once per process: SIGINT, SIGTERM and SIGHUP remove this run's
/// temporaries, then end it as the signal would; SIGXFSZ is ignored, so a file over the size
/// limit fails its write with EFBIG (a message, exit 1) instead of killing the process.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `on_signal` only uses async-signal-safe calls and lock-free atomics.
        unsafe {
            for sig in HANDLED {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(sig, &action, ptr::null_mut());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised() {
        let name = format!("{}Ab3xYz{TEMP_SUFFIX}", temp_prefix("q.pdf"));
        assert_eq!(temp_pid(&name), Some(std::process::id() as i32));
        assert_eq!(temp_pid(".q.pdf.77.Ab3xYz.tongbao-tmp"), Some(77));
        for not_ours in [
            "q.pdf",
            ".q.pdf.tmp",
            ".q.pdf.12.tmp",
            "..77.x.tongbao-tmp",
            ".q.x.tongbao-tmp",
        ] {
            assert_eq!(temp_pid(not_ours), None, "{not_ours}");
        }
    }

    #[test]
    fn stale_temporaries_of_dead_runs_are_removed_live_ones_kept() {
        let dir = std::env::temp_dir().join(format!("tongbao-stale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // A pid that is not running: a child that has exited and been reaped.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.join(format!(".q.pdf.{dead}.k9Xw2a{TEMP_SUFFIX}"));
        let live = dir.join(format!(
            ".q.docx.{}.Zz9Yy8{TEMP_SUFFIX}",
            std::process::id()
        ));
        let user = dir.join("q.pdf");
        for f in [&stale, &live, &user] {
            std::fs::write(f, b"x").unwrap();
        }
        assert_eq!(remove_stale(&dir), 1);
        assert!(!stale.exists() && live.exists() && user.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
