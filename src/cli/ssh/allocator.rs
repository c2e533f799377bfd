//! Giving closed SSH sessions' memory back to the system. Each session's app reads its
//! portal's tickets into buffers of a few hundred KiB to a few MiB and frees them when it
//! ends. glibc's malloc serves a block that large with its own mapping at first, but each
//! such block freed raises the size at which it does so (up to 32 MiB), and the size at
//! which it trims a heap's free top with it: later sessions' large buffers then land inside
//! the heaps, and the holes they leave when freed stay part of the process. The server's
//! resident memory then rose by about 20 MiB for every round of 12 sessions opened and
//! closed (docs/performance.md). Fixing both sizes keeps large blocks in mappings of their
//! own, unmapped when freed, and trims freed heap tops promptly.

/// Blocks of this size and more get a mapping of their own, returned to the system on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_MAPPING_FROM: libc::c_int = 128 * 1024;

/// A heap's free top is returned to the system once it is this large.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_FROM: libc::c_int = 128 * 1024;

/// Sets glibc's malloc so freed sessions' memory goes back to the system (see the module's
/// doc); elsewhere (musl, other systems) the allocator is left as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back_freed_memory() {
    // SAFETY: `mallopt` takes two integers and changes two of malloc's thresholds under its
    // own lock; it touches no memory of ours and is safe to call from any thread at any time.
    let set = unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_MAPPING_FROM)
            & libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_FROM)
    };
    if set != 1 {
        tracing::warn!("cannot set malloc's thresholds; closed sessions may keep their memory");
    }
}

/// Sets glibc's malloc so freed sessions' memory goes back to the system; other allocators
/// are left as they are.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_freed_memory() {}
