/*
 * A stand-in for RDS's AWSAuthenticationPlugin, for MariaDB in the tests: a server authentication plugin of
 * that name, so that `CREATE USER ... IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'` works as on RDS, and a
 * user created so signs in with an RDS IAM auth token sent in clear text over TLS (mysql_clear_password).
 *
 * It accepts a token made for this user, unexpired, with the fields a SigV4-presigned rds-db:connect request
 * has. It cannot check the signature (only AWS knows the key); RdsAuthTokenTests check the signing itself.
 *
 * Written against MariaDB's plugin ABI (interface 1.x, authentication interface 2.2), declared here so that no
 * server development package is needed; only the fields this plugin reads are named in the structs it reads.
 * Build: cc -shared -fPIC -o aws_authentication_standin.so rds-iam-standin.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct st_plugin_vio {
    int (*read_packet)(struct st_plugin_vio *vio, unsigned char **buf);
    int (*write_packet)(struct st_plugin_vio *vio, const unsigned char *packet, int packet_len);
    void (*info)(struct st_plugin_vio *vio, void *info);
} MYSQL_PLUGIN_VIO;

/* The leading fields of MYSQL_SERVER_AUTH_INFO; the plugin reads nothing after them. */
typedef struct {
    const char *user_name;
    unsigned int user_name_length;
    const char *auth_string;
    unsigned long auth_string_length;
} MYSQL_SERVER_AUTH_INFO;

struct st_mysql_auth {
    int interface_version;
    const char *client_auth_plugin;
    int (*authenticate_user)(MYSQL_PLUGIN_VIO *vio, MYSQL_SERVER_AUTH_INFO *info);
    int (*hash_password)(const char *password, size_t password_length, char *hash, size_t *hash_length);
    int (*preprocess_hash)(const char *hash, size_t hash_length, unsigned char *out, size_t *out_length);
};

struct st_maria_plugin {
    int type;
    void *info;
    const char *name;
    const char *author;
    const char *descr;
    int license;
    int (*init)(void *);
    int (*deinit)(void *);
    unsigned int version;
    void *status_vars;
    void *system_vars;
    const char *version_info;
    unsigned int maturity;
};

#define CR_ERROR 0
#define CR_OK -1
#define MAX_TOKEN_SECONDS 900
#define CLOCK_SKEW_SECONDS 300

/* The value of a query parameter (NAME=value up to the next &), copied into out; 0 when absent. */
static int parameter(const char *query, const char *name, char *out, size_t size)
{
    size_t length = strlen(name);
    for (const char *p = query; p && *p; p = strchr(p, '&')) {
        if (*p == '&') p++;
        if (strncmp(p, name, length) == 0 && p[length] == '=') {
            const char *value = p + length + 1;
            size_t n = strcspn(value, "&");
            if (n >= size) return 0;
            memcpy(out, value, n);
            out[n] = 0;
            return 1;
        }
    }
    return 0;
}

static void refuse(const MYSQL_SERVER_AUTH_INFO *info, const char *why)
{
    fprintf(stderr, "AWSAuthenticationPlugin stand-in: refused '%.*s': %s\n", (int)info->user_name_length, info->user_name, why);
}

static int authenticate(MYSQL_PLUGIN_VIO *vio, MYSQL_SERVER_AUTH_INFO *info)
{
    unsigned char *packet;
    int length = vio->read_packet(vio, &packet);
    if (length <= 0 || length > 4096) return CR_ERROR;

    char token[4097];
    memcpy(token, packet, (size_t)length);
    token[length] = 0;

    if (info->auth_string_length != 3 || strncmp(info->auth_string, "RDS", 3) != 0) {
        refuse(info, "the account is not IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'");
        return CR_ERROR;
    }
    const char *query = strstr(token, "/?");
    char action[32], user[128], algorithm[32], date[32], expires[16], signature[80], credential[256];
    if (!query || !parameter(query + 2, "Action", action, sizeof action) || strcmp(action, "connect") != 0) {
        refuse(info, "not an rds-db:connect token");
        return CR_ERROR;
    }
    query += 2;
    if (!parameter(query, "DBUser", user, sizeof user) || strlen(user) != info->user_name_length
        || strncmp(user, info->user_name, info->user_name_length) != 0) {
        refuse(info, "the token is for another user");
        return CR_ERROR;
    }
    if (!parameter(query, "X-Amz-Algorithm", algorithm, sizeof algorithm) || strcmp(algorithm, "AWS4-HMAC-SHA256") != 0
        || !parameter(query, "X-Amz-Credential", credential, sizeof credential) || !strstr(credential, "%2Frds-db%2Faws4_request")
        || !parameter(query, "X-Amz-Signature", signature, sizeof signature) || strlen(signature) != 64
        || strspn(signature, "0123456789abcdef") != 64) {
        refuse(info, "not a SigV4-signed token for rds-db");
        return CR_ERROR;
    }

    struct tm signed_at = {0};
    if (!parameter(query, "X-Amz-Date", date, sizeof date) || strlen(date) != 16
        || sscanf(date, "%4d%2d%2dT%2d%2d%2dZ", &signed_at.tm_year, &signed_at.tm_mon, &signed_at.tm_mday,
                  &signed_at.tm_hour, &signed_at.tm_min, &signed_at.tm_sec) != 6
        || !parameter(query, "X-Amz-Expires", expires, sizeof expires)) {
        refuse(info, "the token has no signing time or lifetime");
        return CR_ERROR;
    }
    signed_at.tm_year -= 1900;
    signed_at.tm_mon -= 1;
    long lifetime = strtol(expires, NULL, 10);
    time_t start = timegm(&signed_at), now = time(NULL);
    if (lifetime <= 0 || lifetime > MAX_TOKEN_SECONDS || now < start - CLOCK_SKEW_SECONDS || now > start + lifetime) {
        refuse(info, "the token has expired or is not valid yet");
        return CR_ERROR;
    }
    return CR_OK;
}

static struct st_mysql_auth standin = {
    0x0202, /* MYSQL_AUTHENTICATION_INTERFACE_VERSION */
    "mysql_clear_password",
    authenticate,
    NULL,
    NULL,
};

int _maria_plugin_interface_version_ = 0x010f;
int _maria_sizeof_struct_st_plugin_ = sizeof(struct st_maria_plugin);
struct st_maria_plugin _maria_plugin_declarations_[] = {
    {
        7, /* MYSQL_AUTHENTICATION_PLUGIN */
        &standin,
        "AWSAuthenticationPlugin",
        "site tests",
        "Stand-in for RDS IAM database authentication: accepts unexpired rds-db:connect tokens for the user",
        1, /* PLUGIN_LICENSE_GPL */
        NULL,
        NULL,
        0x0100,
        NULL,
        NULL,
        "1.0",
        5, /* MariaDB_PLUGIN_MATURITY_STABLE */
    },
    {0, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, 0},
};
