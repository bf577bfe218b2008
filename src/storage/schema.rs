//! Hand-written schema shared by both backends (the MultiConnection needs one `table!` per table).

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        email -> Nullable<Text>,
        email_verified -> Bool,
        name -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        given_name -> Nullable<Text>,
        family_name -> Nullable<Text>,
        middle_name -> Nullable<Text>,
        nickname -> Nullable<Text>,
        profile -> Nullable<Text>,
        picture -> Nullable<Text>,
        website -> Nullable<Text>,
        gender -> Nullable<Text>,
        birthdate -> Nullable<Text>,
        zoneinfo -> Nullable<Text>,
        locale -> Nullable<Text>,
        phone_number -> Nullable<Text>,
        phone_number_verified -> Bool,
        address -> Nullable<Text>,
        disabled -> Bool,
        last_login_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        name -> Text,
        secret_hash -> Nullable<Text>,
        redirect_uris -> Text,
        skip_consent -> Bool,
        pkce_required -> Bool,
        created_at -> BigInt,
        grant_types -> Text,
        token_endpoint_auth_method -> Nullable<Text>,
        post_logout_redirect_uris -> Text,
        backchannel_logout_uri -> Nullable<Text>,
        access_token_ttl_secs -> Nullable<BigInt>,
        refresh_token_ttl_secs -> Nullable<BigInt>,
        scope -> Text,
        refresh_token_reuse_grace_secs -> Nullable<BigInt>,
        previous_secret_hash -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<BigInt>,
        logo_uri -> Nullable<Text>,
        client_uri -> Nullable<Text>,
        policy_uri -> Nullable<Text>,
        tos_uri -> Nullable<Text>,
        require_mfa -> Bool,
        access_token_groups -> Bool,
        allowed_groups -> Text,
        id_token_signed_response_alg -> Nullable<Text>,
        jwks -> Nullable<Text>,
        jwks_uri -> Nullable<Text>,
        require_pushed_authorization_requests -> Bool,
        device_code_ttl_secs -> Nullable<BigInt>,
        dpop_bound_access_tokens -> Bool,
    }
}

diesel::table! {
    pushed_authorization_requests (request_uri) {
        request_uri -> Text,
        client_id -> Text,
        params -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    revoked_access_tokens (jti) {
        jti -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    consents (user_id, client_id) {
        user_id -> Text,
        client_id -> Text,
        scope -> Text,
        granted_at -> BigInt,
    }
}

diesel::table! {
    browser_sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        auth_time -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
        last_seen_at -> BigInt,
        sid -> Text,
        amr -> Text,
        user_agent -> Text,
        address -> Text,
    }
}

diesel::table! {
    auth_failures (key) {
        key -> Text,
        failures -> Integer,
        last_failure_at -> BigInt,
        blocked_until -> BigInt,
    }
}

diesel::table! {
    interactions (id) {
        id -> Text,
        browser_hash -> Text,
        csrf_token -> Text,
        request -> Text,
        user_id -> Nullable<Text>,
        auth_time -> Nullable<BigInt>,
        created_at -> BigInt,
        expires_at -> BigInt,
        amr -> Nullable<Text>,
        address -> Nullable<Text>,
        parked_seq -> BigInt,
    }
}

diesel::table! {
    grants (id) {
        id -> Text,
        user_id -> Text,
        client_id -> Text,
        scope -> Text,
        nonce -> Nullable<Text>,
        auth_time -> BigInt,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        session_id -> Nullable<Text>,
        claims -> Nullable<Text>,
        resource -> Nullable<Text>,
        expires_at -> Nullable<BigInt>,
        amr -> Nullable<Text>,
        dpop_jkt -> Nullable<Text>,
    }
}

diesel::table! {
    authorization_codes (code_hash) {
        code_hash -> Text,
        grant_id -> Text,
        redirect_uri -> Text,
        code_challenge -> Nullable<Text>,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        grant_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        rotated_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        state -> Text,
        private_key -> Binary,
        created_at -> BigInt,
        activated_at -> Nullable<BigInt>,
        deactivated_at -> Nullable<BigInt>,
        publish_until -> Nullable<BigInt>,
        alg -> Text,
    }
}

diesel::table! {
    resources (id) {
        id -> Text,
        scope -> Text,
        access_token_ttl_secs -> Nullable<BigInt>,
        created_at -> BigInt,
        access_token_signed_response_alg -> Nullable<Text>,
    }
}

diesel::table! {
    catalog_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    user_totp (user_id) {
        user_id -> Text,
        secret -> Binary,
        created_at -> BigInt,
        last_used_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (code_hash) {
        code_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    invitations (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    groups (name) {
        name -> Text,
        description -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_members (group_name, user_id) {
        group_name -> Text,
        user_id -> Text,
        added_at -> BigInt,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> BigInt,
        event -> Text,
        actor -> Nullable<Text>,
        user_id -> Nullable<Text>,
        client_id -> Nullable<Text>,
        address -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::table! {
    admin_keys (id) {
        id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        created_at -> BigInt,
        expires_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(authorization_codes -> grants (grant_id));
diesel::joinable!(refresh_tokens -> grants (grant_id));
diesel::joinable!(consents -> users (user_id));
diesel::joinable!(grants -> users (user_id));
diesel::joinable!(group_members -> groups (group_name));
diesel::joinable!(group_members -> users (user_id));

diesel::table! {
    client_assertion_jtis (client_id, jti) {
        client_id -> Text,
        jti -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    registration_tokens (id) {
        id -> Text,
        token_hash -> Text,
        expires_at -> BigInt,
        uses_left -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    client_registrations (client_id) {
        client_id -> Text,
        access_token_hash -> Text,
        issued_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    clients,
    consents,
    browser_sessions,
    interactions,
    grants,
    authorization_codes,
    refresh_tokens,
    signing_keys,
    auth_failures,
    revoked_access_tokens,
    resources,
    catalog_version,
    user_totp,
    recovery_codes,
    invitations,
    groups,
    group_members,
    audit_events,
    admin_keys,
    device_authorizations,
);

diesel::table! {
    device_authorizations (device_code_hash) {
        device_code_hash -> Text,
        user_code -> Text,
        client_id -> Text,
        scope -> Text,
        interval_secs -> BigInt,
        last_polled_at -> Nullable<BigInt>,
        expires_at -> BigInt,
        status -> Text,
        grant_id -> Nullable<Text>,
        resource -> Nullable<Text>,
    }
}

diesel::table! {
    passkeys (credential_id) {
        credential_id -> Text,
        user_id -> Text,
        name -> Text,
        credential -> Text,
        sign_count -> BigInt,
        backup_eligible -> Bool,
        backup_state -> Bool,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    passkey_ceremonies (id) {
        id -> Text,
        binding -> Text,
        kind -> Text,
        state -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    dpop_proof_jtis (jkt, jti) {
        jkt -> Text,
        jti -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        secret -> Binary,
        created_at -> BigInt,
    }
}
