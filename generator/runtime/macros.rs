//! Trait impls shared by every generated string enum and `const` type, written once here so
//! that the generated models stay small (no serde derive for them).

use std::marker::PhantomData;

/// `Display`, `FromStr`, `Serialize` and `Deserialize` for a string enum that has `as_str()`
/// and `From<&str>`. Unused in a build whose enabled groups have no string enum.
#[allow(unused_macros)]
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::macros::deserialize_str(deserializer)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum_impls;

/// `Serialize` and `Deserialize` for a zero-sized `const` type with a `VALUE`.
macro_rules! const_impls {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::macros::deserialize_const(deserializer, Self::VALUE).map(|()| Self)
            }
        }
    };
}
pub(crate) use const_impls;

/// Deserializes a string into anything built `From<&str>`, without allocating for the known
/// values.
pub(crate) fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visitor(PhantomData))
}

/// Accepts exactly `expected` and nothing else.
pub(crate) fn deserialize_const<'de, D>(deserializer: D, expected: &'static str) -> Result<(), D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor(&'static str);
    impl serde::de::Visitor<'_> for Visitor {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "the string {:?}", self.0)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
    }
    deserializer.deserialize_str(Visitor(expected))
}
