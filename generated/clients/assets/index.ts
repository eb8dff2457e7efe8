export * from "./assets.ts";
export * from "./createAsset.ts";
export * from "./createAssetUploadUrl.ts";
export * from "./deleteAsset.ts";
export * from "./finalizeAsset.ts";
export * from "./listAssets.ts";
export * from "./retrieveAsset.ts";
export * from "./updateAsset.ts";