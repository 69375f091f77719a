// The Ledger module. See Package.swift for the module map.
