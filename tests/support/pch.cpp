// Compiled only to build the precompiled header of the tests.
