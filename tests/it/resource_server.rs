//! placeholder: the resource server example test
