/*
 * A mosquitto authentication plugin that behaves as flespi does: the token is the
 * MQTT username (optionally written "FlespiToken <token>") and the password is ignored.
 * Plugin API version 5 (mosquitto 2.0, mosquitto_plugin.h). Test use only.
 * Options: plugin_opt_token <the accepted token>
 * Publishing under "forbidden/" is denied, so that a broker's refusal of one message
 * (PUBACK reason 0x87 in MQTT 5) can be tested, as a flespi token ACL would refuse it.
 * With plugin_opt_message_log <file>, every accepted PUBLISH is appended to the file as
 * "<topic> <payload>" before it is acknowledged, a record that survives the broker being killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

static mosquitto_plugin_id_t *plugin_id;
static char *accepted_token;
static FILE *message_log;

static const char *without_prefix(const char *username)
{
	static const char prefix[] = "FlespiToken ";
	if (strncmp(username, prefix, sizeof prefix - 1) == 0) {
		return username + sizeof prefix - 1;
	}
	return username;
}

static int on_basic_auth(int event, void *event_data, void *userdata)
{
	struct mosquitto_evt_basic_auth *auth = event_data;
	(void)event;
	(void)userdata;
	if (auth->username == NULL) {
		return MOSQ_ERR_AUTH;
	}
	return strcmp(without_prefix(auth->username), accepted_token) == 0 ? MOSQ_ERR_SUCCESS : MOSQ_ERR_AUTH;
}

static int on_acl_check(int event, void *event_data, void *userdata)
{
	struct mosquitto_evt_acl_check *acl = event_data;
	(void)event;
	(void)userdata;
	if (acl->access == MOSQ_ACL_WRITE && strncmp(acl->topic, "forbidden/", 10) == 0) {
		return MOSQ_ERR_ACL_DENIED;
	}
	return MOSQ_ERR_SUCCESS;
}

static int on_message(int event, void *event_data, void *userdata)
{
	struct mosquitto_evt_message *message = event_data;
	(void)event;
	(void)userdata;
	fprintf(message_log, "%s %.*s\n", message->topic, (int)message->payloadlen, (const char *)message->payload);
	fflush(message_log);
	return MOSQ_ERR_SUCCESS;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	for (int i = 0; i < supported_version_count; i++) {
		if (supported_versions[i] == 5) {
			return 5;
		}
	}
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **user_data, struct mosquitto_opt *opts, int opt_count)
{
	(void)user_data;
	plugin_id = identifier;
	for (int i = 0; i < opt_count; i++) {
		if (strcmp(opts[i].key, "token") == 0) {
			accepted_token = strdup(opts[i].value);
		} else if (strcmp(opts[i].key, "message_log") == 0) {
			message_log = fopen(opts[i].value, "a");
			if (message_log == NULL) {
				mosquitto_log_printf(MOSQ_LOG_ERR, "flespi_token_auth: cannot open %s", opts[i].value);
				return MOSQ_ERR_INVAL;
			}
		}
	}
	if (accepted_token == NULL) {
		mosquitto_log_printf(MOSQ_LOG_ERR, "flespi_token_auth: plugin_opt_token is missing");
		return MOSQ_ERR_INVAL;
	}
	int rc = mosquitto_callback_register(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		return rc;
	}
	rc = mosquitto_callback_register(plugin_id, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS || message_log == NULL) {
		return rc;
	}
	return mosquitto_callback_register(plugin_id, MOSQ_EVT_MESSAGE, on_message, NULL, NULL);
}

int mosquitto_plugin_cleanup(void *user_data, struct mosquitto_opt *opts, int opt_count)
{
	(void)user_data;
	(void)opts;
	(void)opt_count;
	mosquitto_callback_unregister(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
	mosquitto_callback_unregister(plugin_id, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL);
	if (message_log != NULL) {
		mosquitto_callback_unregister(plugin_id, MOSQ_EVT_MESSAGE, on_message, NULL);
		fclose(message_log);
		message_log = NULL;
	}
	free(accepted_token);
	accepted_token = NULL;
	return MOSQ_ERR_SUCCESS;
}
