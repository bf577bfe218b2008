//! placeholder: the headless browser test
