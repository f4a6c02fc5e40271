// acorn-globals ships no types; this is the part Drover uses.
declare module 'acorn-globals' {
  interface Global {
    name: string;
  }
  function findGlobals(source: string | object): Global[];
  namespace findGlobals {
    function parse(source: string): object;
  }
  export default findGlobals;
}
