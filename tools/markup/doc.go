// Package markup converts text between the Markdown that agents write and the
// wiki markup that Jira Data Center stores.
package markup
