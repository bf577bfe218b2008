DROP TABLE admin_keys;
