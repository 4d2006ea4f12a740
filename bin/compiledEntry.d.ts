export declare const root: string;
export declare const STAMP: string;
/** The compiled `name` in `distDir` (default dist/bin) as a file URL, or undefined when missing or stale. */
export declare function freshCompiledEntry(name: string, distDir?: string, projectRoot?: string): string | undefined;
