// Address, Keccak256 and the other primitives live in PurseCore; every user of EVM sees them.
@_exported import PurseCore
