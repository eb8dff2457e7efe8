export type Carried = { kind: 'connect' | 'forward'; method: string; target: string }

export function startForwardProxy(): Promise<{ url: string; carried: Carried[]; close: () => Promise<void> }>
