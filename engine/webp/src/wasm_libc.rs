//! The C library functions libwebp calls, for wasm32-unknown-unknown, which has no libc.
//!
//! libwebp's encoder needs `malloc`, `calloc`, `free` and `qsort` (listed with `llvm-nm -u` on
//! the compiled archive); `memcpy`/`memset`/`memmove`/`memcmp` and the maths functions (`pow`,
//! `log`, `log10`, `logf`, `expf`) come from Rust's `compiler_builtins`. Without these symbols the
//! linker would leave them as `env` imports that no JavaScript host provides.
//!
//! The allocator is Rust's global allocator with a 16-byte header holding the block size (C's
//! `free` is not told the size; 16 also keeps blocks aligned like `max_align_t`).
#![allow(unsafe_code)]

use core::ffi::{c_int, c_void};
use core::ptr;
use std::alloc::{self, Layout};

const HEADER: usize = 16;

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

fn allocate(size: usize, zeroed: bool) -> *mut c_void {
    let Some(layout) = layout(size) else {
        return ptr::null_mut();
    };
    // SAFETY: `layout` has a non-zero size (at least HEADER).
    let base = unsafe {
        if zeroed {
            alloc::alloc_zeroed(layout)
        } else {
            alloc::alloc(layout)
        }
    };
    if base.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `base` is a fresh block of HEADER + size bytes aligned to 16: the header holds a
    // usize, and the block handed to C starts HEADER bytes in.
    unsafe {
        base.cast::<usize>().write(size);
        base.add(HEADER).cast()
    }
}

/// C `malloc`: `size` bytes aligned to 16, or null.
#[no_mangle]
pub extern "C" fn malloc(size: usize) -> *mut c_void {
    allocate(size, false)
}

/// C `calloc`: `count × size` zeroed bytes, or null (also on overflow).
#[no_mangle]
pub extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    count
        .checked_mul(size)
        .map_or(ptr::null_mut(), |total| allocate(total, true))
}

/// C `free`: releases a block from `malloc`/`calloc`; null is ignored.
///
/// # Safety
/// `block` is null or came from this `malloc`/`calloc` and was not freed before.
#[no_mangle]
pub unsafe extern "C" fn free(block: *mut c_void) {
    if block.is_null() {
        return;
    }
    // SAFETY: per the contract, the block's header sits HEADER bytes before it and holds the size
    // it was allocated with, so `layout` rebuilds the very layout it was allocated with.
    unsafe {
        let base = block.cast::<u8>().sub(HEADER);
        if let Some(layout) = layout(base.cast::<usize>().read()) {
            alloc::dealloc(base, layout);
        }
    }
}

type Compare = unsafe extern "C" fn(*const c_void, *const c_void) -> c_int;

/// C `qsort`: sorts `count` elements of `size` bytes at `base` with `compare`.
///
/// # Safety
/// `base` points to `count × size` writable bytes and `compare` is a consistent C comparator.
#[no_mangle]
pub unsafe extern "C" fn qsort(
    base: *mut c_void,
    count: usize,
    size: usize,
    compare: Option<Compare>,
) {
    let Some(compare) = compare else { return };
    let Some(total) = count.checked_mul(size) else {
        return;
    };
    if count < 2 || size == 0 || base.is_null() {
        return;
    }
    // SAFETY: per the contract, `base` holds `total` bytes that nothing else touches during the call.
    let bytes = unsafe { core::slice::from_raw_parts_mut(base.cast::<u8>(), total) };
    let element = |i: usize| bytes[i * size..].as_ptr().cast::<c_void>();
    let mut order: Vec<usize> = (0..count).collect();
    // SAFETY: both pointers address whole elements inside `bytes`, as `compare` expects.
    order.sort_unstable_by(|&a, &b| unsafe { compare(element(a), element(b)) }.cmp(&0));
    let sorted: Vec<u8> = order
        .iter()
        .flat_map(|&i| &bytes[i * size..(i + 1) * size])
        .copied()
        .collect();
    bytes.copy_from_slice(&sorted);
}
