//! The `tongbao` command line; see `cli`. Exit codes: 0 success, 1 invalid input, 2 usage error.

mod cli;

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    cli::run()
}

/// glibc's malloc maps each block of 128 KiB or more on its own and unmaps it when freed, and
/// returns the top of its heap to the kernel once 128 KiB of it are free. A render allocates
/// and frees such blocks by the dozen (every deflate stream's window and tables, a page's
/// content, a font's subset), so each came back as fresh pages for the kernel to fault in and
/// zero (page faults and brk were a fifth of seed 000's CPU time). Kept in the heap and not
/// given back, they are reused. The peak is what the largest render needs either way
/// (20,000 accounts: 146 MB peak RSS before and after).
#[cfg(target_env = "gnu")]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets the allocator's parameters; no thread has started yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

#[cfg(not(target_env = "gnu"))]
fn keep_freed_memory() {}
