enum TableAPIPlaceholder {}
