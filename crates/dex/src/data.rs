//! A borrowed input buffer whose `Debug` output is its length, not its bytes.

use std::fmt;

/// The bytes that offsets resolve against. Every lazy view keeps one; the
/// wrapper keeps `{:?}` of a view from printing a whole DEX file.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Data<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Data<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}
