//! What a wasm part is, for the modules that put code in one (`cards/part.rs`,
//! `live/handover.rs`, `meeting/page.rs`): the embed bundle (feature `split`,
//! `scripts/split-bundle.mjs`) fetches a part on the first call into it; built without
//! the feature (the preview, the browser tests), everything is in the one module and
//! the same calls return at once. docs/widget.md, "Parts", says how to add one.

/// A part that could not be fetched (offline, a 503): the visitor may try again.
pub struct Unloaded;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for Unloaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        Unloaded
    }
}

/// Declares what a part holds: with `split`, a wasm split point (fetched on the first
/// call; `preload` fetches without calling); without it, the same signature, ready at
/// once.
macro_rules! part {
    ($name:ident in $module:ident: $ty:ty $(, preload $preload:ident)? = $value:expr) => {
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, fallible $(, preload($preload))?)]
        pub fn $name() -> Result<$ty, Unloaded> {
            Ok($value)
        }
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<$ty, Unloaded> {
            Ok($value)
        }
        $(
            #[cfg(not(feature = "split"))]
            pub async fn $preload() -> Result<(), Unloaded> {
                Ok(())
            }
        )?
    };
}

pub(crate) use part;
