export * from "./bulkDeleteProfilesSchema.ts";
export * from "./deleteProfileSchema.ts";
export * from "./listProfileSubscriptionsSchema.ts";
export * from "./listProfilesSchema.ts";
export * from "./retrieveProfileSchema.ts";