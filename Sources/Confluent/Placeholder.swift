enum ConfluentPlaceholder {}
