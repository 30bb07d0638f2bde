# Convenience targets (SPEC §9, RUNBOOK "MCP Server"). npm scripts remain the source of truth.
.PHONY: help build build-mcp mcp-serve test typecheck lint generate

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

generate: ## generate the Prisma client (the CLI and servers need it)
	npm run generate

build: ## production build of the web app
	npm run build

build-mcp: generate ## typecheck the MCP server and everything it imports
	npx tsc --noEmit

mcp-serve: generate ## rebuild the CLI (Prisma client) and start the MCP server on MCP_ADDR
	npm run mcp

typecheck: ## typecheck the whole project
	npm run typecheck

lint: ## eslint
	npm run lint

test: ## the unit and integration tests (set TEST_DATABASE_URL for PostgreSQL)
	npm test
