export * from "./createAssetSchema.ts";
export * from "./createAssetUploadUrlSchema.ts";
export * from "./deleteAssetSchema.ts";
export * from "./finalizeAssetSchema.ts";
export * from "./listAssetsSchema.ts";
export * from "./retrieveAssetSchema.ts";
export * from "./updateAssetSchema.ts";