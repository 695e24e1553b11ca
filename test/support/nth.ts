/** Element `index` of `items`, failing the test with a clear message when there are fewer. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`expected an element at index ${index}, got ${items.length} elements`);
  return item;
}
