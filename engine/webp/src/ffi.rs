//! The calls into libwebp: the crate's only FFI. Callers have checked every input (see `check` in
//! lib.rs), so libwebp reads exactly `width × height × channels` bytes and writes only into
//! buffers it owns or into the `Vec` given to `write_to_vec`.
#![allow(unsafe_code)]

use core::ffi::{c_int, c_void};
use core::ptr;

use libwebp_sys::{
    WebPConfig, WebPEncode, WebPEncodingError, WebPPicture, WebPPictureFree, WebPPictureImportRGB,
    WebPPictureImportRGBA, WebPPreset, WebPValidateConfig,
};

use crate::{Channels, WebpError};

#[derive(Clone, Copy)]
pub(crate) enum Mode {
    Lossy { quality: f32 },
    Lossless { effort: f32 },
}

/// A `WebPPicture` whose pixel buffers libwebp allocated; freed on drop, on every path.
struct Picture(WebPPicture);

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: the picture was set up by `WebPPictureInit` (in `WebPPicture::new`); freeing an
        // initialised picture is valid whether or not buffers were allocated.
        unsafe { WebPPictureFree(&mut self.0) };
    }
}

pub(crate) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: Channels,
    mode: Mode,
    method: u8,
) -> Result<Vec<u8>, WebpError> {
    let (lossless, quality) = match mode {
        Mode::Lossy { quality } => (false, quality),
        Mode::Lossless { effort } => (true, effort),
    };
    let mut config = WebPConfig::new_with_preset(WebPPreset::WEBP_PRESET_DEFAULT, quality)
        .map_err(|()| WebpError::Encoder("libwebp was built for another ABI version"))?;
    config.lossless = c_int::from(lossless);
    config.method = c_int::from(method);
    config.thread_level = 0;
    // SAFETY: `config` is an initialised, live struct; libwebp only reads it.
    if unsafe { WebPValidateConfig(&config) } == 0 {
        return Err(WebpError::Encoder("invalid configuration"));
    }

    let mut picture = Picture(
        WebPPicture::new()
            .map_err(|()| WebpError::Encoder("libwebp was built for another ABI version"))?,
    );
    // Lossless works on ARGB; lossy converts straight to YUV 4:2:0 on import (no ARGB copy).
    picture.0.use_argb = c_int::from(lossless);
    // Sides are at most 16383 (checked), so these and the stride fit in a C int.
    picture.0.width = width as c_int;
    picture.0.height = height as c_int;
    let stride = (width as usize * channels.count()) as c_int;
    // SAFETY: `pixels` holds exactly `height` rows of `stride` bytes (checked by the caller),
    // which is all libwebp reads; it copies them into buffers the picture owns.
    let imported = unsafe {
        match channels {
            Channels::Rgb => WebPPictureImportRGB(&mut picture.0, pixels.as_ptr(), stride),
            Channels::Rgba => WebPPictureImportRGBA(&mut picture.0, pixels.as_ptr(), stride),
        }
    };
    if imported == 0 {
        return Err(error(picture.0.error_code));
    }

    let mut out: Vec<u8> = Vec::new();
    picture.0.writer = Some(write_to_vec);
    picture.0.custom_ptr = ptr::from_mut(&mut out).cast::<c_void>();
    // SAFETY: config and picture are initialised; `custom_ptr` points to `out`, which outlives the
    // call and is not touched by us until it returns; `write_to_vec` matches libwebp's signature.
    let encoded = unsafe { WebPEncode(&config, &mut picture.0) };
    picture.0.custom_ptr = ptr::null_mut();
    if encoded == 0 {
        return Err(error(picture.0.error_code));
    }
    Ok(out)
}

/// libwebp's output callback: appends each chunk to the `Vec<u8>` behind `custom_ptr`.
/// Returns 0 (libwebp then fails with `BAD_WRITE`) instead of panicking when memory runs out.
unsafe extern "C" fn write_to_vec(
    data: *const u8,
    size: usize,
    picture: *const WebPPicture,
) -> c_int {
    if size == 0 {
        return 1;
    }
    // SAFETY: libwebp calls this only during `WebPEncode` in `encode`, passing the picture whose
    // `custom_ptr` is `&mut out` there (live, unaliased during the call) and `size` readable bytes.
    let (out, chunk) = unsafe {
        (
            &mut *(*picture).custom_ptr.cast::<Vec<u8>>(),
            core::slice::from_raw_parts(data, size),
        )
    };
    if out.try_reserve(size).is_err() {
        return 0;
    }
    out.extend_from_slice(chunk);
    1
}

fn error(code: WebPEncodingError) -> WebpError {
    use WebPEncodingError as E;
    match code {
        E::VP8_ENC_ERROR_OUT_OF_MEMORY | E::VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY => {
            WebpError::OutOfMemory
        }
        E::VP8_ENC_ERROR_BAD_WRITE => WebpError::OutOfMemory,
        E::VP8_ENC_ERROR_INVALID_CONFIGURATION => WebpError::Encoder("invalid configuration"),
        E::VP8_ENC_ERROR_BAD_DIMENSION => WebpError::Encoder("bad dimensions"),
        E::VP8_ENC_ERROR_PARTITION0_OVERFLOW => {
            WebpError::Encoder("first partition larger than 512 KiB; try a lower quality")
        }
        E::VP8_ENC_ERROR_PARTITION_OVERFLOW => {
            WebpError::Encoder("a partition larger than 16 MiB; try a lower quality")
        }
        E::VP8_ENC_ERROR_FILE_TOO_BIG => WebpError::Encoder("file larger than 4 GiB"),
        E::VP8_ENC_OK
        | E::VP8_ENC_ERROR_NULL_PARAMETER
        | E::VP8_ENC_ERROR_USER_ABORT
        | E::VP8_ENC_ERROR_LAST => WebpError::Encoder("internal error"),
    }
}
