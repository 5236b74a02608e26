/**
 * Wire types of users between gate and storage: a user with its password hash as storage keeps
 * it ({@link io.casswarm.common.user.User}), what creating and changing one sends, and the
 * summary lists show (never a hash). A user name is a tenant: its rule is
 * {@link io.casswarm.common.contract.Contract#TENANT}.
 */
package io.casswarm.common.user;
