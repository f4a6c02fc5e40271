{{shebang}}
# Drover worker job ({{kind}}): starts {{processes}} worker process(es) that connect to the scheduler.
# qsub reads the #$ lines.
{{directives}}

{{environment}}
{{prologue}}
{{workerCommand}}
{{epilogue}}
