export type * from "./BulkDeleteProfiles.ts";
export type * from "./DeleteProfile.ts";
export type * from "./ListProfileSubscriptions.ts";
export type * from "./ListProfiles.ts";
export type * from "./RetrieveProfile.ts";