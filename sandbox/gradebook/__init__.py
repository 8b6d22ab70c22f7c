"""gradebook"""
