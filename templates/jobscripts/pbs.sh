{{shebang}}
# Drover worker job ({{kind}}): starts {{processes}} worker process(es) that connect to the scheduler.
# qsub reads the #PBS lines above the first command.
{{directives}}

{{environment}}
{{prologue}}
{{workerCommand}}
{{epilogue}}
