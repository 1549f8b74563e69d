"""lostdevice"""
