const PLAIN_NAME = /^[A-Za-z_$][\w$-]*$/;

/** `parent.name`, or `parent["odd name"]` when the name would make the path ambiguous. */
export function childPath(parent: string, name: string): string {
  if (PLAIN_NAME.test(name)) return parent === '' ? name : `${parent}.${name}`;
  return `${parent}[${JSON.stringify(name)}]`;
}

/** `parent[index]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Renders a zod issue path (`['dynamodb', 'NewImage', 'tags', 'L', 0]`) the same way. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) => (typeof segment === 'number' ? indexPath(path, segment) : childPath(path, String(segment))),
    '',
  );
}
