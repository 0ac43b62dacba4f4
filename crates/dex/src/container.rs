//! DEX 041 containers: several images in one file.
//!
//! In a 041 container every image starts with a full 0x78-byte header.
//! `file_size` is the size of the *logical* image (the distance from its
//! header to the next header), `container_size` the size of the whole file,
//! and `header_offset` the position of the header in the file. All offsets in
//! a 041 header (ids tables, map, string data, code, ...) are relative to the
//! start of the container, so images can share data; `data_size`/`data_off`
//! are unused. Older versions hold exactly one image.

use crate::data::Data;
use crate::header::HEADER_SIZE_V41;
use crate::{DexError, DexFile, ParseOptions};

/// Parses every image of `data`: one for 035 to 040, all of them for a 041
/// container. Fails if any image fails; use [`dex_images`] to keep the
/// images before a broken one.
pub fn parse_dex_container(data: &[u8]) -> Result<Vec<DexFile<'_>>, DexError> {
    dex_images(data, ParseOptions::default()).collect()
}

/// Like [`parse_dex_container`], with options.
pub fn parse_dex_container_with(
    data: &[u8],
    options: ParseOptions,
) -> Result<Vec<DexFile<'_>>, DexError> {
    dex_images(data, options).collect()
}

/// Iterates over the images of `data`, each parsed in O(1); the iteration
/// stops after the first error.
pub fn dex_images(data: &[u8], options: ParseOptions) -> DexImages<'_> {
    DexImages {
        data: Data(data),
        pos: Some(0),
        options,
    }
}

/// Iterator returned by [`dex_images`].
#[derive(Clone, Debug)]
pub struct DexImages<'a> {
    data: Data<'a>,
    /// Offset of the next header, `None` when done.
    pos: Option<usize>,
    options: ParseOptions,
}

impl<'a> DexImages<'a> {
    fn step(&mut self, pos: usize) -> Result<(DexFile<'a>, Option<usize>), DexError> {
        let file = DexFile::parse_at(self.data.0, pos, self.options)?;
        let h = *file.header();
        if !h.is_container_layout() {
            if pos != 0 {
                return Err(DexError::BadContainer {
                    offset: pos,
                    reason: "image inside a container is not version 041",
                });
            }
            return Ok((file, None));
        }
        let end = match h.container_size as usize {
            0 => self.data.0.len(),
            size => size.min(self.data.0.len()),
        };
        let next = pos.saturating_add(h.file_size as usize);
        if next >= end {
            return Ok((file, None));
        }
        if h.file_size < HEADER_SIZE_V41 {
            // Also guarantees progress: every image is at least a header long.
            return Err(DexError::BadContainer {
                offset: pos,
                reason: "file_size smaller than the header",
            });
        }
        Ok((file, Some(next)))
    }
}

impl<'a> Iterator for DexImages<'a> {
    type Item = Result<DexFile<'a>, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.pos.take()?;
        Some(self.step(pos).map(|(file, next)| {
            self.pos = next;
            file
        }))
    }
}
