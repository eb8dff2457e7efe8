export * from "./bulkDeleteProfiles.ts";
export * from "./deleteProfile.ts";
export * from "./listProfileSubscriptions.ts";
export * from "./listProfiles.ts";
export * from "./profiles.ts";
export * from "./retrieveProfile.ts";