// The Wallet module. See Package.swift for the module map.
