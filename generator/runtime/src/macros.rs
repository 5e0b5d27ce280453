//! Code every generated string enum, `const` type and request builder shares, written once here
//! so that the generated crate stays small: the trait impls of string enums and `const` types
//! (no serde derive for them), and the per-call options and `IntoFuture` of request builders.
//! The macros are exported at the crate's root (hidden) and re-exported here, so the generated
//! code names them `dwolla_runtime::__private::macros::name!`; what they write names this
//! crate's items through `$crate`.

use std::marker::PhantomData;

/// `Display`, `FromStr`, `Serialize` and `Deserialize` for a string enum that has `as_str()`
/// and `From<&str>`.
#[doc(hidden)]
#[macro_export]
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
                $crate::__private::macros::deserialize_str(deserializer)
            }
        }
    };
}
pub use string_enum_impls;

/// `Serialize` and `Deserialize` for a zero-sized `const` type with a `VALUE`.
#[doc(hidden)]
#[macro_export]
macro_rules! const_impls {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::macros::deserialize_const(deserializer, Self::VALUE).map(|()| Self)
            }
        }
    };
}
pub use const_impls;

/// The per-call options of a request builder (a struct with an `options:
/// dwolla_runtime::__private::request::CallOptions` field): `header`, `retry`, `timeout` and
/// `deadline`, and with `post` also `idempotency_key` and `without_idempotency_key`. Invoked
/// inside the builder's `impl` block, so they are inherent methods that need no import. (Their
/// doc links name the invoking crate's `Error` and `ClientBuilder`, which re-export this crate's.)
#[doc(hidden)]
#[macro_export]
macro_rules! call_options {
    (post) => {
        /// Sends this `Idempotency-Key` instead of the fresh UUID every `POST` gets. Dwolla
        /// honours a key for 24 hours: a repeated request with it returns the original
        /// result instead of acting twice.
        pub fn idempotency_key(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.options.idempotency = $crate::__private::request::Idempotency::Key(key.into());
            self
        }
        /// Sends no `Idempotency-Key`. The request is then never retried, since a retry
        /// could act twice.
        pub fn without_idempotency_key(mut self) -> Self {
            self.options.idempotency = $crate::__private::request::Idempotency::Off;
            self
        }
        $crate::call_options!();
    };
    () => {
        /// Sends an extra header with this request: a correlation id for your own tracing,
        /// say. The headers the client manages (`Accept`, `Authorization`, `Content-Type`,
        /// `Idempotency-Key`, `User-Agent`) cannot be set this way; `send` then fails with
        /// [`Error::Request`](crate::Error::Request).
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options.extra_headers.push((name.into(), value.into()));
            self
        }
        /// This call's retry policy, instead of the client's.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options.retry = ::std::option::Option::Some(policy);
            self
        }
        /// How long one attempt of this call may take, instead of the client's
        /// [`timeout`](crate::ClientBuilder::timeout).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = ::std::option::Option::Some(timeout);
            self
        }
        /// How long this call may take in all, retries and the waits between them included,
        /// instead of the client's [`deadline`](crate::ClientBuilder::deadline).
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.options.deadline = ::std::option::Option::Some(deadline);
            self
        }
    };
}
pub use call_options;

/// `IntoFuture` for a request builder whose `send` answers `Response<$ok>` or `$error` (the
/// invoking crate's `Error`), so that awaiting the builder sends it.
#[doc(hidden)]
#[macro_export]
macro_rules! into_future {
    ($(#[$attr:meta])* $builder:ident => $ok:ty, $error:ty) => {
        $(#[$attr])*
        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::std::result::Result<$crate::Response<$ok>, $error>;
            type IntoFuture = $crate::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub use into_future;

/// Deserializes a string into anything built `From<&str>`, without allocating for the known
/// values.
pub fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
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
pub fn deserialize_const<'de, D>(deserializer: D, expected: &'static str) -> Result<(), D::Error>
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
