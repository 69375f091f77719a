// The PurseMCP module. See Package.swift for the module map.
