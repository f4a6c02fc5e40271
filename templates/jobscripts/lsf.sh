{{shebang}}
# Drover worker job ({{kind}}): starts {{processes}} worker process(es) that connect to the scheduler.
# bsub reads the #BSUB lines above the first command (the script is given on standard input).
{{directives}}

{{environment}}
{{prologue}}
{{workerCommand}}
{{epilogue}}
