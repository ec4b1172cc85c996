/**
 * @since 0.1.0
 */
export * as ApiError from "./ApiError.js"
/**
 * @since 0.1.0
 */
export * as Client from "./Client.js"
/**
 * @since 0.1.0
 */
export * as IgnitionApi from "./IgnitionApi.js"
/**
 * @since 0.1.0
 */
export * as SystemApi from "./SystemApi.js"
