//! Times as the visitor reads them: in their zone and language, through the browser's
//! `Intl` (no time zone data in the wasm).

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The four ways the card writes a time.
pub struct Formats {
    pub zone: String,
    day_key: Function,
    day_name: Function,
    day_long: Function,
    time: Function,
}

fn formatter(locale: &str, zone: &str, options: &[(&str, &str)]) -> Function {
    let make = |locale: &str| -> Result<Function, JsValue> {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
        let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into())?.dyn_into()?;
        let settings = Object::new();
        Reflect::set(&settings, &"timeZone".into(), &zone.into())?;
        for (k, v) in options {
            Reflect::set(&settings, &(*k).into(), &(*v).into())?;
        }
        let format = Reflect::construct(&constructor, &Array::of2(&locale.into(), &settings))?;
        Reflect::get(&format, &"format".into())?.dyn_into()
    };
    // A locale the browser does not know (a RangeError) falls back to English.
    make(locale)
        .or_else(|_| make("en"))
        .unwrap_or_else(|_| Function::new_no_args("return ''"))
}

/// The browser's time zone (UTC when it has none).
fn browser_zone() -> String {
    let zone = || -> Result<JsValue, JsValue> {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
        let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into())?.dyn_into()?;
        let format = Reflect::construct(&constructor, &Array::new())?;
        let resolved: Function = Reflect::get(&format, &"resolvedOptions".into())?.dyn_into()?;
        Reflect::get(&resolved.call0(&format)?, &"timeZone".into())
    };
    zone()
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".into())
}

impl Formats {
    pub fn new(locale: &str) -> Formats {
        let zone = browser_zone();
        let f = |options: &[(&str, &str)]| formatter(locale, &zone, options);
        Formats {
            day_key: f(&[("year", "numeric"), ("month", "2-digit"), ("day", "2-digit")]),
            day_name: f(&[("weekday", "short"), ("day", "numeric"), ("month", "short")]),
            day_long: f(&[("weekday", "long"), ("day", "numeric"), ("month", "long")]),
            time: f(&[("hour", "numeric"), ("minute", "2-digit")]),
            zone,
        }
    }

    fn apply(format: &Function, seconds: f64) -> String {
        format
            .call1(&JsValue::NULL, &Date::new(&(seconds * 1000.0).into()))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    /// The day a time falls on, as a key that sorts and compares.
    pub fn day_key(&self, seconds: f64) -> String {
        Self::apply(&self.day_key, seconds)
    }
    pub fn day_name(&self, seconds: f64) -> String {
        Self::apply(&self.day_name, seconds)
    }
    pub fn day_long(&self, seconds: f64) -> String {
        Self::apply(&self.day_long, seconds)
    }
    pub fn time(&self, seconds: f64) -> String {
        Self::apply(&self.time, seconds)
    }
    /// "Monday 7 December, 10:00–10:30".
    pub fn full(&self, start: f64, end: f64) -> String {
        format!(
            "{}, {}–{}",
            self.day_long(start),
            self.time(start),
            self.time(end)
        )
    }
}

/// An ISO 8601 instant, for the events the page gets.
pub fn iso(seconds: f64) -> JsValue {
    Date::new(&(seconds * 1000.0).into()).to_iso_string().into()
}
