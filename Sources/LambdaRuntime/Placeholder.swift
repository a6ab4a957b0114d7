enum LambdaRuntimePlaceholder {}
