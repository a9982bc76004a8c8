//! `SendWrapper`: a value that is `Send` and `Sync` as long as it is only used on the
//! thread that made it. Leptos wraps browser values (DOM nodes, closures) in it to meet
//! `Send` bounds; this crate takes the place of crates.io's `send_wrapper` 0.6 (same
//! API) through `[patch.crates-io]` in the workspace.
//!
//! Why our own: the original records `std::thread::current()` and checks it on every
//! access. In a wasm32 build without the `atomics` feature there is exactly one thread,
//! so that check can never fail, yet std's thread handles (and their names, panics and
//! reference counting) cost the visitor's download about 4 KB gzip. There the check is
//! left out; on every other target the creating thread is recorded and checked exactly
//! as before, so the wrapper stays sound wherever threads exist.

#[cfg(feature = "futures")]
mod futures;

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// Holds a value that may only be used, and must be dropped, on the thread that
/// wrapped it.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    origin: origin::Thread,
}

// SAFETY: every access checks that it happens on the creating thread (`origin`), and
// a wrapper dropped elsewhere leaks its value instead of dropping it.
unsafe impl<T> Send for SendWrapper<T> {}
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            origin: origin::Thread::current(),
        }
    }

    /// Whether the value may be used on the current thread.
    pub fn valid(&self) -> bool {
        self.origin.is_current()
    }

    /// The value, out of its wrapper.
    ///
    /// # Panics
    /// On another thread than the one that wrapped it.
    #[track_caller]
    pub fn take(self) -> T {
        self.check();
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self) {
        if !self.valid() {
            wrong_thread()
        }
    }
}

#[cold]
#[track_caller]
fn wrong_thread() -> ! {
    panic!("a SendWrapper's value was used on another thread than the one that made it")
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.check();
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check();
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value on its own thread; elsewhere the value is leaked (dropping it
    /// there would be unsound) and, unless already panicking, this panics.
    #[track_caller]
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() {
            return;
        }
        if self.valid() {
            // SAFETY: `data` is not used after this.
            unsafe { ManuallyDrop::drop(&mut self.data) }
        } else if !std::thread::panicking() {
            wrong_thread()
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SendWrapper").field(&**self).finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        SendWrapper::new((**self).clone())
    }
}

/// The thread a wrapper belongs to.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod origin {
    /// wasm32 without atomics has one thread: every use is on the creating thread.
    #[derive(Clone, Copy)]
    pub struct Thread;

    impl Thread {
        pub fn current() -> Thread {
            Thread
        }

        pub fn is_current(self) -> bool {
            true
        }
    }
}

/// The thread a wrapper belongs to.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod origin {
    use std::thread::{self, ThreadId};

    #[derive(Clone, Copy)]
    pub struct Thread(ThreadId);

    impl Thread {
        pub fn current() -> Thread {
            Thread(thread::current().id())
        }

        pub fn is_current(self) -> bool {
            self.0 == thread::current().id()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;
    use std::thread;

    #[test]
    fn the_value_is_usable_and_dropped_on_its_own_thread() {
        let shared = Rc::new(5);
        let wrapped = SendWrapper::new(Rc::clone(&shared));
        assert!(wrapped.valid());
        assert_eq!(**wrapped, 5);
        assert_eq!(Rc::strong_count(&shared), 2);
        drop(wrapped);
        assert_eq!(Rc::strong_count(&shared), 1);
        assert_eq!(*SendWrapper::new(Rc::clone(&shared)).take(), 5);
    }

    #[test]
    fn another_thread_may_move_it_but_not_use_it() {
        let wrapped = SendWrapper::new(Rc::new(5));
        let back = thread::spawn(move || {
            assert!(!wrapped.valid());
            let used = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **wrapped));
            assert!(used.is_err(), "use on another thread must panic");
            wrapped
        })
        .join()
        .unwrap();
        assert_eq!(**back, 5, "usable again at home");
    }

    #[test]
    fn dropping_on_another_thread_panics_and_leaks_instead_of_dropping() {
        let shared = Rc::new(5);
        let wrapped = SendWrapper::new(Rc::clone(&shared));
        let dropped = thread::spawn(move || drop(wrapped)).join();
        assert!(dropped.is_err());
        assert_eq!(
            Rc::strong_count(&shared),
            2,
            "the Rc was not touched off its thread"
        );
    }
}
