/** `--engine drover|dask` of `drover local` and `drover scheduler`; `--python` goes with dask only. */
export function engineOption(engine: string | undefined, python: string | undefined): 'drover' | 'dask' {
  const value = engine ?? 'drover';
  if (value !== 'drover' && value !== 'dask')
    throw new Error(`--engine ${value}: use drover (the default) or dask`);
  if (value === 'drover' && python !== undefined)
    throw new Error('--python chooses the interpreter of Dask workers; add --engine dask');
  return value;
}
