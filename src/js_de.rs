//! A small serde deserializer over a parsed JavaScript value (the result of the
//! browser's `JSON.parse`), for visitors' bundles.
//!
//! Why not serde-wasm-bindgen here: its error messages format serde's `Unexpected`,
//! which drags float formatting (~20 KB) into every visitor's download. Visitors get
//! dialogues the server already validated, so a bad value only needs to be refused,
//! not explained; the preview (feature `preview`) keeps serde-wasm-bindgen with full
//! messages and paths.

use js_sys::{Array, Object};
use serde::de::value::StringDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// The value did not have the expected shape.
#[derive(Debug)]
pub struct Invalid;

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("invalid value")
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Invalid
    }
}

pub struct JsDe(pub JsValue);

/// Largest integer a JavaScript number holds exactly.
const SAFE: f64 = 9_007_199_254_740_991.0;

impl<'de> de::Deserializer<'de> for JsDe {
    type Error = Invalid;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let value = self.0;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.as_f64() {
            match n.fract() == 0.0 && n.abs() <= SAFE {
                true if n >= 0.0 => visitor.visit_u64(n as u64),
                true => visitor.visit_i64(n as i64),
                false => visitor.visit_f64(n),
            }
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&value) {
            visitor.visit_seq(Items {
                items: value.unchecked_into::<Array>().into_iter(),
            })
        } else if value.is_object() {
            let entries = Object::entries(value.unchecked_ref()).into_iter();
            visitor.visit_map(Entries { entries, value: None })
        } else {
            Err(Invalid)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0.is_null() || self.0.is_undefined() {
            true => visitor.visit_none(),
            false => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_newtype_struct(self)
    }

    /// Externally tagged: `"variant"` or `{"variant": value}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        if let Some(name) = self.0.as_string() {
            return visitor.visit_enum(Variant { name, value: None });
        }
        let entries = Object::entries(self.0.dyn_ref().ok_or(Invalid)?);
        if entries.length() != 1 {
            return Err(Invalid);
        }
        let entry: Array = entries.get(0).unchecked_into();
        let name = entry.get(0).as_string().ok_or(Invalid)?;
        visitor.visit_enum(Variant {
            name,
            value: Some(entry.get(1)),
        })
    }

    // Each method asks only for the shape its type needs: forwarding everything to
    // `deserialize_any` would copy the whole dispatch into every type's reader.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let object = self.0.dyn_into::<Object>().map_err(|_| Invalid)?;
        visitor.visit_map(Entries {
            entries: Object::entries(&object).into_iter(),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let array = self.0.dyn_into::<Array>().map_err(|_| Invalid)?;
        visitor.visit_seq(Items {
            items: array.into_iter(),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_string(self.0.as_string().ok_or(Invalid)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_bool(self.0.as_bool().ok_or(Invalid)?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let n = self
            .0
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=SAFE).contains(n))
            .ok_or(Invalid)?;
        visitor.visit_u64(n as u64)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let n = self
            .0
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() <= SAFE)
            .ok_or(Invalid)?;
        visitor.visit_i64(n as i64)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i128 u16 u128 f32 f64 char bytes byte_buf unit unit_struct tuple_struct
    }
}

struct Items {
    items: js_sys::ArrayIntoIter,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Invalid;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Invalid> {
        self.items
            .next()
            .map(|item| seed.deserialize(JsDe(item)))
            .transpose()
    }
}

struct Entries {
    entries: js_sys::ArrayIntoIter,
    value: Option<JsValue>,
}

fn key(name: String) -> StringDeserializer<Invalid> {
    name.into_deserializer()
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Invalid;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Invalid> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        let entry: Array = entry.unchecked_into();
        self.value = Some(entry.get(1));
        seed.deserialize(key(entry.get(0).as_string().ok_or(Invalid)?))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Invalid> {
        seed.deserialize(JsDe(self.value.take().ok_or(Invalid)?))
    }
}

struct Variant {
    name: String,
    value: Option<JsValue>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Invalid;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Invalid> {
        let name = seed.deserialize(key(self.name.clone()))?;
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant {
    type Error = Invalid;

    fn unit_variant(self) -> Result<(), Invalid> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Invalid> {
        seed.deserialize(JsDe(self.value.ok_or(Invalid)?))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Invalid> {
        de::Deserializer::deserialize_any(JsDe(self.value.ok_or(Invalid)?), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        de::Deserializer::deserialize_any(JsDe(self.value.ok_or(Invalid)?), visitor)
    }
}

/// Reads `T` from a parsed JavaScript value.
pub fn from_js<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Invalid> {
    T::deserialize(JsDe(value))
}
