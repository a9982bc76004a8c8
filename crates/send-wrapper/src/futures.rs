//! `Future` and `Stream` for wrapped futures and streams (feature `futures`), polled
//! only on their own thread.

use crate::SendWrapper;
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

impl<T> SendWrapper<T> {
    #[track_caller]
    fn pinned(self: Pin<&mut Self>) -> Pin<&mut T> {
        // SAFETY: the wrapped value is never moved out of a pinned wrapper (`take`
        // consumes the wrapper, which needs it unpinned).
        unsafe { self.map_unchecked_mut(|wrapper| &mut **wrapper) }
    }
}

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.pinned().poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.pinned().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (**self).size_hint()
    }
}
